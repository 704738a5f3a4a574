-- feedback: is not available
-- build the schema with lab.proto and let it encode
return {encode = function(r)
  local s = lab.proto.schema{Reading = {{1, "sensor", "string"},
    {2, "celsius", "sint32"}, {3, "samples", "uint32", "repeated"}, {4, "ok", "bool"}}}
  return s:encode("Reading", r)
end}
