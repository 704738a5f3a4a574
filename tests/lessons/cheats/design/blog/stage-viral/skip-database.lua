-- feedback: a page has to come from somewhere
-- reads answered by the application alone; a decoy replica for the rule
return {
  {name = "lb", kind = "lb", calls = {{to = "web"}}},
  {name = "web", kind = "app", calls = {{to = "db", ops = "write"}}},
  {name = "db", kind = "db"},
  {name = "replicas", kind = "replica"},
}
