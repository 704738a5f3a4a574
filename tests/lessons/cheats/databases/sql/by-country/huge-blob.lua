-- feedback: memory
-- a gigabyte of random bytes per row: a limit reached is not a pass
return [[
SELECT country, count(*) AS customers, randomblob(1000000000) AS junk
FROM customers GROUP BY country
]]
