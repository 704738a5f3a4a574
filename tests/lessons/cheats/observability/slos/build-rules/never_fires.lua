-- feedback: no rule fires
return {{long = 3600, short = 300, factor = 1e6}}
