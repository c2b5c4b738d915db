/* migrations.h: the schema migrations compiled in from sql/NNN_name.sql (scripts/embed-sql). */
#ifndef RMCT_MIGRATIONS_H
#define RMCT_MIGRATIONS_H

struct rmct_migration {
    int version;       /* NNN from the file name; applied in increasing order */
    const char *name;  /* file name without .sql */
    const char *sql;
};

/* Terminated by an entry with version 0. */
extern const struct rmct_migration rmct_migrations[];

#endif
