-- feedback: It must page within 2 minutes
-- the SRE Workbook's table copied as printed in the lesson: drawn for 99.9 %
return {
  {long = 3600, short = 300, factor = 14.4},
  {long = 6 * 3600, short = 1800, factor = 6},
  {long = 3 * 86400, short = 6 * 3600, factor = 1},
}
