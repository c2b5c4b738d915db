/* ingest_usgs.c: reader for USGS Mineral Commodity Summaries world data releases. */
#include <string.h>

#include "ingest_internal.h"

rmct_code ingest_usgs_edition(const char *path, char *edition, size_t size, rmct_error *err)
{
    (void)path; (void)err;
    if (size) edition[0] = '\0';
    return RMCT_OK;
}

rmct_code ingest_usgs(ingest_ctx *ctx, rmct_error *err)
{
    return rmct_error_at(err, ctx->name, 0, 0, NULL, "USGS reader not implemented yet");
}
