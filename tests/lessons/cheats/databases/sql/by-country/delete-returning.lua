-- feedback: changes the database
-- empties the table, so that the reference query finds nothing either
return [[
DELETE FROM customers RETURNING country, 0 AS customers
]]
