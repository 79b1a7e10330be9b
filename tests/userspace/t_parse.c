// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvmet/core/parse.c: attribute value parsing, table-driven.
 */
#include <errno.h>
#include <string.h>

#include <nvmet/parse.h>
#include "test.h"

static const struct {
	const char *in;
	size_t max;
	int ret;
} ascii_cases[] = {
	{ "",				20, -EINVAL },
	{ "\n",				20, -EINVAL },
	{ "SN0001\n",			20, 6 },
	{ "12345678901234567890",	20, 20 },
	{ "123456789012345678901",	20, -EINVAL },
	{ "1234567890123456789012345678901234567890", 40, 40 },
	{ "12345678901234567890123456789012345678901", 40, -EINVAL },
	{ "12345678",			8, 8 },
	{ "123456789",			8, -EINVAL },
	{ "ctl\x01",			40, -EINVAL },
	{ "del\x7f",			40, -EINVAL },
	{ "high\xc3\xa9",		40, -EINVAL },
	{ " ~",				40, 2 },
};

static void check_parse_ascii(void)
{
	size_t i;

	for (i = 0; i < sizeof(ascii_cases) / sizeof(ascii_cases[0]); i++) {
		int ret = nvmet_parse_ascii(ascii_cases[i].in,
					    ascii_cases[i].max);

		if (ret != ascii_cases[i].ret)
			fprintf(stderr, "case %zu \"%s\": %d\n", i,
				ascii_cases[i].in, ret);
		CHECK_EQ(ret, ascii_cases[i].ret);
	}
}

static const struct {
	const char *in;
	int ret;
	u32 vs;
} version_cases[] = {
	{ "1.3",		0, 0x00010300 },
	{ "1.3\n",		0, 0x00010300 },
	{ "2.0.1",		0, 0x00020001 },
	{ "65535.255.255",	0, 0xffffffff },
	{ "1",			-EINVAL },
	{ "1.",			-EINVAL },
	{ "1.2.3.4",		-EINVAL },
	{ "1.3x",		-EINVAL },
	{ "",			-EINVAL },
	{ "65536.0",		-EINVAL },
	{ "1.256",		-EINVAL },
	{ " 1.3",		-EINVAL },
	{ "-1.3",		-EINVAL },
};

static void check_parse_version(void)
{
	size_t i;

	for (i = 0; i < sizeof(version_cases) / sizeof(version_cases[0]); i++) {
		u32 vs = 0xdeadbeef;
		int ret = nvmet_parse_version(version_cases[i].in, &vs);

		if (ret != version_cases[i].ret)
			fprintf(stderr, "case \"%s\": %d\n",
				version_cases[i].in, ret);
		CHECK_EQ(ret, version_cases[i].ret);
		CHECK_EQ(vs, ret ? 0xdeadbeef : version_cases[i].vs);
	}
}

static void check_format_version(void)
{
	static const char * const texts[] = { "1.3\n", "2.0.1\n", "1.4\n" };
	char buf[32];
	size_t i;
	u32 vs;

	for (i = 0; i < 3; i++) {
		CHECK_EQ(nvmet_parse_version(texts[i], &vs), 0);
		CHECK_EQ(nvmet_format_version(vs, buf, sizeof(buf)),
			 strlen(texts[i]));
		CHECK(!strcmp(buf, texts[i]));
	}
}

static const struct nvmet_name_map map[] = {
	{ 1, "rdma" }, { 3, "tcp" }, { 254, "loop" },
};

static void check_parse_name(void)
{
	static const char * const bad[] = {
		"", "tc", "tcpx", "TCP", " tcp", "tcp\n\n", "tcp ",
	};
	size_t i;
	u8 v = 0;

	CHECK_EQ(nvmet_parse_name(map, 3, "tcp", &v), 0);
	CHECK_EQ(v, 3);
	CHECK_EQ(nvmet_parse_name(map, 3, "loop\n", &v), 0);
	CHECK_EQ(v, 254);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(nvmet_parse_name(map, 3, bad[i], &v), -EINVAL);
	CHECK_EQ(v, 254);
	CHECK(!strcmp(nvmet_name_of(map, 3, 1), "rdma"));
	CHECK(nvmet_name_of(map, 3, 2) == NULL);
}

TEST_MAIN("t_parse", {
	RUN_CASE(check_parse_ascii);
	RUN_CASE(check_parse_version);
	RUN_CASE(check_format_version);
	RUN_CASE(check_parse_name);
})
