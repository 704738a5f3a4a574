-- feedback: does not run
-- a component of an unknown kind
return {
  {name = "lb", kind = "lb", calls = {{to = "web"}}},
  {name = "web", kind = "supercomputer"},
  {name = "replicas", kind = "replica"},
}
