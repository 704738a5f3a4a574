-- what: a check that uses the API wrongly
-- expect: check_error
-- feedback: tolerance
expect(answer):number():near(42, "close enough")
