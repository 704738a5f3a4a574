-- feedback: is not available to your code
return {new = function(opts)
  local tb = lab.ratelimit.token_bucket(opts)
  return {allow = function(_, now, n) return (tb:allow(now, n)) end}
end}
