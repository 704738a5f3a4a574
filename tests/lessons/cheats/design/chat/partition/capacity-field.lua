-- feedback: does not run
-- sets the store's capacity and price directly
return {
  {name = "gateways", kind = "gateway", instances = 4,
   calls = {{to = "store", timeout = 0.3}}},
  {name = "store", kind = "store", workers = 1000, price = 0},
}
