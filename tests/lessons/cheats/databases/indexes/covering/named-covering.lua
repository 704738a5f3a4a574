-- feedback: reads each row from the table
-- an index that does not cover the query, named so that the plan says it does
return [[CREATE INDEX "COVERING INDEX" ON orders(customer_id, placed_at)]]
