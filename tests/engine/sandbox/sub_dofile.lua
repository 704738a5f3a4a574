-- what: dofile and loadfile of a host file
-- expect: fail
pcall(dofile, "@CANARY@")
return loadfile("@CANARY@")()
