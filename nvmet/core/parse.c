// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attribute value parsing for nvmet-ng.
 *
 * Conventions:
 * @buf:   text written to a configfs attribute, NUL-terminated; it may end
 *         in one newline, which is not part of the value
 * @map:   table of names for an enumerated value, @nr entries
 *
 * Every function here is pure and may be called in any context.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/export.h>

#include <nvmet/parse.h>

/* NVMe Version register layout: MJR[31:16], MNR[15:8], TER[7:0]. */
#define NVMET_VS(mjr, mnr, ter)	(((mjr) << 16) | ((mnr) << 8) | (ter))

/**
 * nvmet_parse_ascii() - validate a printable ASCII attribute value
 * @buf: the written text; the value ends at the first newline or NUL
 * @max_len: largest accepted length in characters
 *
 * Used for attr_serial, attr_model and attr_firmware, whose Identify fields
 * must hold printable ASCII (0x20 to 0x7e).
 *
 * Context: Any context.
 * Return: the length of the value (1 to @max_len), or -EINVAL if it is
 * empty, longer than @max_len or holds a non-printable character.
 */
int nvmet_parse_ascii(const char *buf, size_t max_len)
{
	size_t len = strcspn(buf, "\n");
	size_t i;

	if (!len || len > max_len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			return -EINVAL;
	}
	return len;
}
EXPORT_SYMBOL_GPL(nvmet_parse_ascii);

/**
 * nvmet_parse_token() - take the first whitespace-delimited word
 * @buf: the written text
 * @out: where the word goes, NUL-terminated
 * @size: size of @out
 *
 * Used for addr_traddr and addr_trsvcid, which keep the first word of what
 * is written, as the in-tree target does.
 *
 * Context: Any context.
 * Return: the word's length, or -EINVAL if there is no word or it does
 * not fit in @out.
 */
int nvmet_parse_token(const char *buf, char *out, size_t size)
{
	size_t len;

	buf += strspn(buf, " \t\n\v\f\r");
	len = strcspn(buf, " \t\n\v\f\r");
	if (!len || len >= size)
		return -EINVAL;
	memcpy(out, buf, len);
	out[len] = '\0';
	return len;
}
EXPORT_SYMBOL_GPL(nvmet_parse_token);

/*
 * Parse one decimal field of at most @max; stops at the first non-digit and
 * leaves *@p there.
 */
static int nvmet_parse_vs_field(const char **p, u32 max, u32 *out)
{
	const char *s = *p;
	u32 val = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	while (*s >= '0' && *s <= '9') {
		val = val * 10 + (*s - '0');
		if (val > max)
			return -EINVAL;
		s++;
	}
	*p = s;
	*out = val;
	return 0;
}

/**
 * nvmet_parse_version() - parse an attr_version value
 * @buf: "MAJOR.MINOR" or "MAJOR.MINOR.TERTIARY", decimal
 * @vs: on success, the value of the NVMe Version (VS) register
 *
 * MAJOR is 0 to 65535, MINOR and TERTIARY 0 to 255, as the VS register
 * holds them.  Nothing may follow but one newline.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for any other text.
 */
int nvmet_parse_version(const char *buf, u32 *vs)
{
	static const u32 max[] = { 0xffff, 0xff, 0xff };
	u32 field[3] = { 0, 0, 0 };
	const char *p = buf;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(field); i++) {
		ret = nvmet_parse_vs_field(&p, max[i], &field[i]);
		if (ret)
			return ret;
		if (*p != '.')
			break;
		p++;
	}
	if (i == 0 || i == ARRAY_SIZE(field))
		return -EINVAL;
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*vs = NVMET_VS(field[0], field[1], field[2]);
	return 0;
}
EXPORT_SYMBOL_GPL(nvmet_parse_version);

/**
 * nvmet_format_version() - print a VS register value as attr_version shows it
 * @vs: the NVMe Version register value
 * @buf: output buffer
 * @size: size of @buf
 *
 * The tertiary number is printed only when it is not zero ("1.3", "2.0.1").
 *
 * Context: Any context.
 * Return: the number of characters written, newline included.
 */
int nvmet_format_version(u32 vs, char *buf, size_t size)
{
	u32 ter = vs & 0xff;

	if (ter)
		return snprintf(buf, size, "%u.%u.%u\n", vs >> 16,
				(vs >> 8) & 0xff, ter);
	return snprintf(buf, size, "%u.%u\n", vs >> 16, (vs >> 8) & 0xff);
}
EXPORT_SYMBOL_GPL(nvmet_format_version);

/**
 * nvmet_parse_name() - look up an enumerated attribute value by name
 * @map: the names
 * @nr: number of entries in @map
 * @buf: the written text; must match a name exactly, but for one trailing
 *       newline
 * @value: on success, the value of the matching entry
 *
 * Context: Any context.
 * Return: 0, or -EINVAL if no name matches.
 */
int nvmet_parse_name(const struct nvmet_name_map *map, size_t nr,
		     const char *buf, u8 *value)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (sysfs_streq(buf, map[i].name)) {
			*value = map[i].value;
			return 0;
		}
	}
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(nvmet_parse_name);

/**
 * nvmet_name_of() - the name of an enumerated attribute value
 * @map: the names
 * @nr: number of entries in @map
 * @value: the stored value
 *
 * Context: Any context.
 * Return: the name, or NULL when @value has none.
 */
const char *nvmet_name_of(const struct nvmet_name_map *map, size_t nr,
			  u8 value)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (map[i].value == value)
			return map[i].name;
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(nvmet_name_of);
