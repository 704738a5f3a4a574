-- feedback: not available
return {totp = function(...) return lab.otp.totp(...) end}
