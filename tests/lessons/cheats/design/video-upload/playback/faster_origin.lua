-- feedback: does not run
-- gives the origin more workers
return {
  {name = "origin", kind = "origin", instances = 1, workers = 1000},
}
