-- what: a check that does not compile
-- expect: check_error
-- feedback: does not compile
expect(answer):equals(
