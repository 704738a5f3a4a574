-- feedback: not available to your code
return {
  erlang_c = function(a, s, c) return lab.queue.erlang_c{arrival = a, service = s, servers = c}.wait_probability end,
  mean_wait = function(a, s, c) return lab.queue.erlang_c{arrival = a, service = s, servers = c}.mean_wait end,
}
