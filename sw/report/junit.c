/* SPDX-License-Identifier: MIT */
/* JUnit XML (report.h): what CI systems read from mmurun and mmuregress. */
#include "report.h"

#include <string.h>

/* The failure attribute is the report's first line. */
static void junit_failure(FILE *f, const struct report_junit_case *c)
{
	char first[512];

	snprintf(first, sizeof(first), "%.*s", (int)strcspn(c->failure, "\n"),
		 c->failure);
	fputs("      <failure message=\"", f);
	report_xml_escape(f, first);
	fputs("\" type=\"", f);
	report_xml_escape(f, c->failure_type ? c->failure_type : "check");
	fputs("\">", f);
	report_xml_escape(f, c->failure);
	fputs("</failure>\n", f);
}

static void junit_case(FILE *f, const struct report_junit_case *c)
{
	fputs("    <testcase classname=\"", f);
	report_xml_escape(f, c->classname);
	fputs("\" name=\"", f);
	report_xml_escape(f, c->name);
	fprintf(f, "\" time=\"%.3f\">\n", c->secs);
	if (c->failure)
		junit_failure(f, c);
	if (c->out) {
		fputs("      <system-out>", f);
		report_xml_escape(f, c->out);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

int report_junit(FILE *f, const struct report_junit_suite *s,
		 const struct report_junit_case *c, unsigned n)
{
	double total = 0;
	unsigned failed = 0;

	for (unsigned i = 0; i < n; i++) {
		total += c[i].secs;
		failed += c[i].failure != NULL;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"", f);
	report_xml_escape(f, s->name);
	fprintf(f, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" time=\"%.3f\">\n"
		"  <testsuite name=\"", n, failed, total);
	report_xml_escape(f, s->suite);
	fprintf(f, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\" "
		"time=\"%.3f\">\n    <properties>\n", n, failed, total);
	for (const char *const *p = s->props; p && p[0] && p[1]; p += 2) {
		fputs("      <property name=\"", f);
		report_xml_escape(f, p[0]);
		fputs("\" value=\"", f);
		report_xml_escape(f, p[1]);
		fputs("\"/>\n", f);
	}
	fputs("    </properties>\n", f);
	for (unsigned i = 0; i < n; i++)
		junit_case(f, &c[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	return fflush(f) || ferror(f) ? -1 : 0;
}
