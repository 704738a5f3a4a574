-- feedback: end wrong
-- the consumer's write step is the producer's own step table, so the
-- producer's value lands in it
local w = {"write", "y", 0}
return {
  producer = function(value) w[3] = value; return {{"write", "x", value}, {"signal", "ready"}} end,
  consumer = function() return {{"wait", "ready"}, w} end,
}
