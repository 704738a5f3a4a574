-- feedback: lab.slo is not available
return lab.slo.rules()
