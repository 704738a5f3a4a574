-- feedback: not available to your code
-- borrow the evaluator to tune the design in the file
local v = lab.design.evaluate({{name = "web", kind = "app"}}, {workload = {rate = 1}})
return {{name = "web", kind = "app"}}
