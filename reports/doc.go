// Package reports turns the analytics views into static HTML pages that a
// career coach can open from a file, with no internet connection: an overview
// (index.html), a page per skill category, a page per skill, the backend skill
// guide compared with the market, and a methodology page.
//
// It is the last stage of the pipeline. It only reads the documented DuckDB
// views (see docs/schema.md) and never recomputes statistics. Charts are built
// with go-echarts and drawn by the ECharts copy embedded in this package and
// written beside the pages, so the pages work from file://.
//
// Scraped text (titles, companies, skill names) is never trusted: chart
// options are written as escaped JSON inside a non-executable script element
// and parsed at load time, go-echarts' function marker is stripped from every
// string, and all HTML goes through html/template.
package reports
