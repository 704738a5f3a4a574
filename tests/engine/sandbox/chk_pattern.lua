-- what: a check with a pathological pattern (a loop inside C)
-- expect: timeout
expect(string.rep("a", 50000)):matches(".-.-.-.-.-.-.-.-b")
