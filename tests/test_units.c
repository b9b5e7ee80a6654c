/* test_units.c — the parsers and printers of sizes, durations and lists. */
#include "cli.h"
#include "test.h"
#include "units.h"

static void sizes(void)
{
	static const struct {
		const char *in;
		unsigned long long want; /* 0: must fail */
	} cases[] = {
		{"16", 16},        {"64B", 64},          {"64b", 64},          {"1KiB", 1024},
		{"1K", 1024},      {"1KB", 1024},        {"1kib", 1024},       {"1MiB", 1 << 20},
		{"1M", 1 << 20},   {"2GiB", 2ull << 30}, {"1.5KiB", 1536},     {"0.5MiB", 512 << 10},
		{"", 0},           {"KiB", 0},           {"-1KiB", 0},         {"1KiBx", 0},
		{"1 KiB", 0},      {"1.2B", 0},          {"1TiB", 0},          {"1Kib ", 0},
		{"99999999999999999999", 0},             {"17179869184GiB", 0}, {"1.", 0},
		{".5K", 0},        {"1.5e3KiB", 0},      {"1e3", 0},           {"1.0e-999B", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t v = 0;
		ct_err_t err = {{0}};
		int rc = ct_parse_size(cases[i].in, &v, &err);
		if (cases[i].want) {
			EXPECT_EQ_U(rc, 0);
			EXPECT_EQ_U(v, cases[i].want);
		} else {
			EXPECT(rc == -1 && err.msg[0]);
			if (rc != -1)
				fprintf(stderr, "  accepted bad size '%s'\n", cases[i].in);
		}
	}
}

static void durations(void)
{
	ct_benchtime_t bt;
	ct_err_t err;
	EXPECT(ct_parse_benchtime("50ms", &bt, &err) == 0 && bt.ns == 50000000 && bt.iters == 0);
	EXPECT(ct_parse_benchtime("1s", &bt, &err) == 0 && bt.ns == 1000000000);
	EXPECT(ct_parse_benchtime("1.5s", &bt, &err) == 0 && bt.ns == 1500000000);
	EXPECT(ct_parse_benchtime("200us", &bt, &err) == 0 && bt.ns == 200000);
	EXPECT(ct_parse_benchtime("1000x", &bt, &err) == 0 && bt.iters == 1000 && bt.ns == 0);
	/* Go's composite durations: the pieces add up */
	uint64_t ns = 0;
	EXPECT(ct_parse_duration("1m30s", &ns, &err) == 0);
	EXPECT_EQ_U(ns, 90000000000ull);
	EXPECT(ct_parse_duration("1h2m3.5s", &ns, &err) == 0);
	EXPECT_EQ_U(ns, 3723500000000ull);
	EXPECT(ct_parse_duration("2s500ms", &ns, &err) == 0);
	EXPECT_EQ_U(ns, 2500000000ull);
	EXPECT(ct_parse_duration("1m30", &ns, &err) == -1 && strstr(err.msg, "needs a unit"));
	EXPECT(ct_parse_duration("1m30parsecs", &ns, &err) == -1 && strstr(err.msg, "'parsecs'"));
	const char *bad[] = {"", "50", "50 ms", "ms", "-1s", "0x", "x", "10q", "1e3ms", "0.1ns",
			     "12xx", "1m-30s", "1m 30s", "1s.", "300000h"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = ct_parse_benchtime(bad[i], &bt, &err);
		EXPECT(rc == -1);
		if (rc != -1)
			fprintf(stderr, "  accepted bad benchtime '%s'\n", bad[i]);
	}
}

static void lists(void)
{
	uint64_t v[64];
	size_t n;
	ct_err_t err;
	EXPECT(ct_parse_count_list("1-4", 1, 1024, v, 64, &n, &err) == 0);
	EXPECT_EQ_U(n, 4);
	EXPECT_EQ_U(v[0] + v[1] + v[2] + v[3], 10);
	EXPECT(ct_parse_count_list("1,2,2,8", 1, 1024, v, 64, &n, &err) == 0);
	EXPECT_EQ_U(n, 3); /* duplicates dropped */
	EXPECT(ct_parse_size_list("1KiB-1MiB", 16, 1ull << 30, v, 64, &n, &err) == 0);
	EXPECT_EQ_U(n, 11);
	EXPECT_EQ_U(v[10], 1 << 20);
	EXPECT(ct_parse_size_list("3KiB-16KiB", 16, 1ull << 30, v, 64, &n, &err) == 0);
	EXPECT_EQ_U(n, 3); /* 3, 6, 12 KiB */
	const char *bad[] = {"", ",", "1,", ",1", "1,,2", "4-1", "0", "-1", "1-", "1-2-3", "2000",
			     "a", "1-1025"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = ct_parse_count_list(bad[i], 1, 1024, v, 64, &n, &err);
		EXPECT(rc == -1);
		if (rc != -1)
			fprintf(stderr, "  accepted bad list '%s'\n", bad[i]);
	}
	EXPECT(ct_parse_count_list("1-100", 1, 1024, v, 64, &n, &err) == -1); /* > max values */
}

static void printing(void)
{
	char b[32];
	EXPECT_STR(ct_format_size(16, b, sizeof b), "16B");
	EXPECT_STR(ct_format_size(1536, b, sizeof b), "1536B");
	EXPECT_STR(ct_format_size(1024, b, sizeof b), "1KiB");
	EXPECT_STR(ct_format_size(1 << 20, b, sizeof b), "1MiB");
	EXPECT_STR(ct_format_size(3ull << 30, b, sizeof b), "3GiB");
	ct_benchtime_t bt = {.ns = 30000000};
	EXPECT_STR(ct_format_benchtime(&bt, b, sizeof b), "30ms");
	bt = (ct_benchtime_t){.iters = 1000};
	EXPECT_STR(ct_format_benchtime(&bt, b, sizeof b), "1000x");
	bt = (ct_benchtime_t){.ns = 1500};
	EXPECT_STR(ct_format_benchtime(&bt, b, sizeof b), "1500ns");
}

/* A parameter given values a/b by --param is swept: every combination, the
 * last parameter fastest, in the order given, defaults for the ones not
 * named; named values too. */
static void param_sweeps(void)
{
	ct_config_t cfg = {.nparams = 2};
	static const char *const names[] = {"batch", "k"}, *const values[] = {"3/4", "1/2"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(cfg.params[i].name, sizeof cfg.params[i].name, "%s", names[i]);
		snprintf(cfg.params[i].text, sizeof cfg.params[i].text, "%s", values[i]);
	}
	uint64_t sets[8][CT_MAX_PARAMS];
	EXPECT_EQ_U(ct_cli_param_sets(&cfg, &ct_wl_churn, sets, 8), 4);
	static const uint64_t want[4][3] = {{1, 3, 0}, {1, 4, 0}, {2, 3, 0}, {2, 4, 0}};
	for (size_t k = 0; k < 4; k++)
		for (size_t i = 0; i < 3; i++)
			EXPECT_EQ_U(sets[k][i], want[k][i]);
	EXPECT_EQ_U(ct_cli_param_sets(&cfg, &ct_wl_churn, sets, 3), 3); /* capped */
	snprintf(cfg.params[0].name, sizeof cfg.params[0].name, "copy");
	snprintf(cfg.params[0].text, sizeof cfg.params[0].text, "memcpy/compiler");
	snprintf(cfg.params[1].name, sizeof cfg.params[1].name, "prime");
	snprintf(cfg.params[1].text, sizeof cfg.params[1].text, "0/64/8");
	EXPECT_EQ_U(ct_cli_param_sets(&cfg, &ct_wl_smaug, sets, 8), 6);
	static const uint64_t smaug_want[6][2] = {{1, 0}, {1, 64}, {1, 8}, {0, 0}, {0, 64}, {0, 8}};
	for (size_t k = 0; k < 6; k++)
		for (size_t i = 0; i < 2; i++)
			EXPECT_EQ_U(sets[k][i], smaug_want[k][i]);
	cfg.nparams = 0; /* none named: the defaults, once */
	EXPECT_EQ_U(ct_cli_param_sets(&cfg, &ct_wl_bilbo, sets, 8), 1);
	EXPECT_EQ_U(sets[0][0], 64);
	EXPECT_EQ_U(ct_cli_param_sets(&cfg, &ct_wl_churn, sets, 8), 1);
	EXPECT_EQ_U(sets[0][0], 4096);
	EXPECT_EQ_U(sets[0][1], 256);
}

int main(void)
{
	param_sweeps();
	sizes();
	durations();
	lists();
	printing();
	return t_finish("test_units");
}
