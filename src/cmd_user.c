/* cmd_user.c: 'rmct user', the users of the HTTP server (lib/auth.h, docs/API.md): add, list,
 * change role (and a company user's company) or password, disable, and create API tokens for
 * scripts. Passwords are read from $RMCT_PASSWORD or the first line of standard input, never from
 * the command line (it would show in the process list and the shell history). Every change is
 * written to the audit log. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "cli.h"
#include "survey.h"
#include "text.h"

static void user_usage(FILE *fp)
{
    fprintf(fp,
            "usage: rmct user add NAME --role ROLE [--company BRN] [--generate-password]\n"
            "       rmct user list [--format table|csv|json]\n"
            "       rmct user passwd NAME [--generate-password]\n"
            "       rmct user role NAME ROLE [--company BRN]\n"
            "       rmct user disable NAME | rmct user enable NAME\n"
            "       rmct user token NAME --name TOKEN_NAME\n"
            "\n"
            "The users of 'rmct serve'. Roles, each including the ones before it: company (a surveyed company's\n"
            "own user: reads and corrects its own survey answers; --company BRN names the company, by its\n"
            "business registration number in the survey's registry), viewer (reads the stockpile and results),\n"
            "analyst (starts Monte Carlo runs and purchase plans; reads every company's survey answers and\n"
            "imports campaigns), stock-keeper (writes the stockpile ledger), admin (manages users). The public\n"
            "data needs no user at all.\n"
            "Passwords (%d to %d characters) come from $RMCT_PASSWORD, else the first line of standard input;\n"
            "--generate-password makes a random one and prints it once. Passwords are stored as Argon2id hashes.\n"
            "'token' creates an API token for scripts (printed once; send it as 'Authorization: Bearer TOKEN').\n"
            "Every change is recorded in the audit log with who made it ($RMCT_ACTOR, else the login name).\n",
            RMCT_PASSWORD_MIN, RMCT_PASSWORD_MAX);
}

static const char *actor_name(char *buf, size_t size)
{
    const char *a = getenv("RMCT_ACTOR");
    if (a && *a) return a;
    if (getlogin_r(buf, size) == 0 && buf[0]) return buf;
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name) return rmct_strlcpy(buf, pw->pw_name, size);
    return "cli";
}

/* The password: generated, $RMCT_PASSWORD, or the first line of standard input. */
static int read_password(bool generate, char *buf, size_t size)
{
    if (generate) {
        rmct_password_generate(buf, size);
        return 0;
    }
    const char *env = getenv("RMCT_PASSWORD");
    if (env && *env) {
        if (strlen(env) >= size) {
            fprintf(stderr, "rmct user: RMCT_PASSWORD: at most %d characters\n", RMCT_PASSWORD_MAX);
            return 1;
        }
        rmct_strlcpy(buf, env, size);
        return 0;
    }
    if (isatty(STDIN_FILENO)) fprintf(stderr, "password (%d to %d characters, echoed): ", RMCT_PASSWORD_MIN, RMCT_PASSWORD_MAX);
    if (!fgets(buf, (int)size, stdin)) {
        fprintf(stderr, "rmct user: expected the password in $RMCT_PASSWORD or on standard input\n");
        return 1;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

static void audit(rmct_db *db, const char *action, const char *target, const char *detail)
{
    char buf[96];
    rmct_error err;
    rmct_error_clear(&err);
    rmct_audit_add(db, actor_name(buf, sizeof buf), action, target, 0, "cli", detail, &err);
}

/* The audit log's detail of a role change: {"role": ..., "company": ...}. */
static const char *role_detail(const rmct_user *u, char *buf, size_t size)
{
    char b[13];
    if (u->company[0]) snprintf(buf, size, "{\"role\":\"%s\",\"company\":\"%s\"}", rmct_role_name(u->role), rmct_brn_format(u->company, b));
    else snprintf(buf, size, "{\"role\":\"%s\"}", rmct_role_name(u->role));
    return buf;
}

int cmd_user(cli_ctx *cli, int argc, char **argv)
{
    enum { O_ROLE = OPT__COMMON_END, O_GEN, O_NAME, O_COMPANY };
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {"role", required_argument, NULL, O_ROLE},
                                         {"generate-password", no_argument, NULL, O_GEN}, {"name", required_argument, NULL, O_NAME},
                                         {"company", required_argument, NULL, O_COMPANY}, {NULL, 0, NULL, 0}};
    const char *role_text = NULL, *token_name = NULL, *company = NULL;
    bool generate = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int r = cli_common_option(cli, opt, optarg);
        if (r < 0) return EXIT_USAGE;
        if (r > 0) continue;
        if (opt == O_ROLE) role_text = optarg;
        else if (opt == O_GEN) generate = true;
        else if (opt == O_NAME) token_name = optarg;
        else if (opt == O_COMPANY) company = optarg;
        else if (opt == OPT_HELP || opt == 'h') {
            user_usage(stdout);
            return 0;
        } else
            return cli_usage_error("user", "unknown option \"%s\"", argv[optind - 1]);
    }
    if (optind >= argc) return cli_usage_error("user", "expected add, list, passwd, role, disable, enable or token");
    const char *sub = argv[optind++];
    const char *name = optind < argc ? argv[optind++] : NULL;
    const char *extra = optind < argc ? argv[optind++] : NULL;
    if (optind < argc) return cli_usage_error("user", "unexpected argument \"%s\"", argv[optind]);
    bool is_list = !strcmp(sub, "list");
    static const char *const subs[] = {"add", "list", "passwd", "role", "disable", "enable", "token", NULL};
    bool known = false;
    for (int i = 0; subs[i]; i++) known |= !strcmp(sub, subs[i]);
    if (!known) return cli_usage_error("user", "expected add, list, passwd, role, disable, enable or token, got \"%s\"", sub);
    if (!is_list && !name) return cli_usage_error("user", "'%s' needs a user name", sub);
    if (is_list && name) return cli_usage_error("user", "'list' takes no name");
    if (extra && strcmp(sub, "role")) return cli_usage_error("user", "unexpected argument \"%s\"", extra);
    rmct_role role = RMCT_ROLE_VIEWER;
    if (!strcmp(sub, "role")) role_text = extra;
    if (!strcmp(sub, "add") || !strcmp(sub, "role")) {
        if (!role_text) return cli_usage_error("user", "'%s' needs a role: company, viewer, analyst, stock-keeper or admin", sub);
        if (!rmct_role_parse(role_text, &role))
            return cli_usage_error("user", "expected a role: company, viewer, analyst, stock-keeper or admin, got \"%s\"", role_text);
        if (role == RMCT_ROLE_COMPANY && !company)
            return cli_usage_error("user", "the company role needs --company BRN (the company's business registration number)");
        if (role != RMCT_ROLE_COMPANY && company) return cli_usage_error("user", "--company goes with the company role only");
    } else if (role_text)
        return cli_usage_error("user", "--role applies to 'add' only");
    else if (company)
        return cli_usage_error("user", "--company applies to 'add' and 'role' only");
    if (generate && strcmp(sub, "add") && strcmp(sub, "passwd")) return cli_usage_error("user", "--generate-password applies to add and passwd");
    if (!strcmp(sub, "token") && !token_name) return cli_usage_error("user", "'token' needs --name TOKEN_NAME");
    if (token_name && strcmp(sub, "token")) return cli_usage_error("user", "--name applies to 'token' only");

    rmct_db *db;
    if (cli_open_db(cli, &db)) return 1;
    rmct_error err;
    rmct_error_clear(&err);
    rmct_user u;
    int rc = 0;
    char pw[RMCT_PASSWORD_MAX + 2] = "";
    char who[96];
    if (is_list) {
        rmct_user *v;
        int n;
        if (rmct_user_list(db, &v, &n, &err)) rc = cli_fail(&err);
        else {
            out_table *t = out_new();
            const char *cols[] = {"name", "role", "disabled", "created_at", "created_by", "company"};
            for (size_t i = 0; i < 6; i++) out_col(t, cols[i], cols[i]);
            for (int i = 0; i < n; i++) {
                char b[13];
                out_row(t);
                out_text(t, v[i].name);
                out_text(t, rmct_role_name(v[i].role));
                out_bool(t, v[i].disabled);
                out_text(t, v[i].created_at);
                out_text(t, v[i].created_by);
                out_text(t, v[i].company[0] ? rmct_brn_format(v[i].company, b) : NULL);
            }
            out_print(t, cli->format, stdout);
            out_free(t);
            free(v);
        }
    } else if (!strcmp(sub, "add")) {
        if ((rc = read_password(generate, pw, sizeof pw)) == 0) {
            if (rmct_user_add(db, name, role, company, pw, actor_name(who, sizeof who), &u, &err)) rc = cli_fail(&err);
            else {
                char d[128], b[13];
                audit(db, "user add", u.name, role_detail(&u, d, sizeof d));
                if (u.company[0])
                    printf("user %s added with the role %s for company %s\n", u.name, rmct_role_name(u.role), rmct_brn_format(u.company, b));
                else printf("user %s added with the role %s\n", u.name, rmct_role_name(u.role));
                if (generate) printf("password: %s\n", pw);
            }
        }
    } else if (!strcmp(sub, "passwd")) {
        if ((rc = read_password(generate, pw, sizeof pw)) == 0) {
            if (rmct_user_update(db, name, NULL, NULL, pw, -1, &u, &err)) rc = cli_fail(&err);
            else {
                audit(db, "user passwd", u.name, NULL);
                printf("password of %s changed; its sessions have ended\n", u.name);
                if (generate) printf("password: %s\n", pw);
            }
        }
    } else if (!strcmp(sub, "role")) {
        if (rmct_user_update(db, name, &role, company, NULL, -1, &u, &err)) rc = cli_fail(&err);
        else {
            char d[128], b[13];
            audit(db, "user role", u.name, role_detail(&u, d, sizeof d));
            if (u.company[0]) printf("%s is now %s for company %s\n", u.name, rmct_role_name(u.role), rmct_brn_format(u.company, b));
            else printf("%s is now %s\n", u.name, rmct_role_name(u.role));
        }
    } else if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
        bool dis = !strcmp(sub, "disable");
        if (rmct_user_update(db, name, NULL, NULL, NULL, dis, &u, &err)) rc = cli_fail(&err);
        else {
            audit(db, dis ? "user disable" : "user enable", u.name, NULL);
            printf("%s is %s\n", u.name, dis ? "disabled (its sessions have ended, its tokens stop working)" : "enabled");
        }
    } else { /* token */
        char token[RMCT_TOKEN_LEN + 1];
        rmct_token_info info;
        if (rmct_user_get(db, name, &u, &err) || rmct_token_create(db, u.id, token_name, token, &info, &err)) rc = cli_fail(&err);
        else {
            char target[64];
            snprintf(target, sizeof target, "token %lld", (long long)info.id);
            audit(db, "user token", target, NULL);
            printf("%s\n", token);
            fprintf(stderr, "API token %lld '%s' for %s (%s); shown once: keep it secret\n", (long long)info.id, info.name, u.name,
                    rmct_role_name(u.role));
        }
    }
    memset(pw, 0, sizeof pw);
    rmct_db_close(db);
    return rc;
}
