-- feedback: plain data
-- a component that computes its instances
return {
  {name = "lb", kind = "lb", calls = {{to = "gateways"}}},
  {name = "gateways", kind = "app", instances = function() return 2 end,
   calls = {{to = "api"}}},
  {name = "api", kind = "app", instances = 2},
}
