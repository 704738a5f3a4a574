-- The check the hostile submissions of this corpus are graded with.
-- good_solution.lua passes it.
expect(submission, "your module"):is_type("table")
expect(submission.add(2, 3), "`add(2, 3)`"):equals(5)
expect(submission.range(3), "`range(3)`"):equals({1, 2, 3})
expect(("x"):upper()):equals("X")
expect(tostring(12)):equals("12")
expect(type(io)):equals("nil")
differential{
	name = "add",
	subject = submission.add,
	reference = function(a, b) return a + b end,
	input = function(r) return r:int(-9, 9), r:int(-9, 9) end,
	cases = 20,
}
