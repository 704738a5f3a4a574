-- feedback: came from nowhere
-- an edge whose misses call nobody
return {
  {name = "edge", kind = "cdn", memory = 10},
}
