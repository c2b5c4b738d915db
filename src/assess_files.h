/* assess_files.h: the criticality assessment written as an SVG matrix and an XLSX workbook. */
#ifndef RMCT_ASSESS_FILES_H
#define RMCT_ASSESS_FILES_H

#include "assess.h"

rmct_code assess_write_svg(const char *path, const rmct_method *m, const rmct_assessment *a, size_t n, rmct_error *err);
rmct_code assess_write_xlsx(const char *path, const rmct_method *m, const rmct_assessment *a, size_t n, rmct_error *err);

#endif
