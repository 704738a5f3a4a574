-- feedback: fail the correct
-- kills every mutant by failing everything
return function(parse_range) error("every build fails") end
