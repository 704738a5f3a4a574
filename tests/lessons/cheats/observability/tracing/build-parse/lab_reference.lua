-- feedback: lab.trace is not available
return {parse = lab.trace.parse}
