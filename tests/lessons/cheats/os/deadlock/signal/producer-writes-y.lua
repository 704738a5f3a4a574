-- feedback: The producer must not touch `y`
return {
  producer = function(value) return {{"write", "x", value}, {"write", "y", value}} end,
  consumer = function() return {} end,
}
