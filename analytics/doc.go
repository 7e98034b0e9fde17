// Package analytics stores postings and their skill tags in DuckDB, derives
// the demand statistics that the reports and analysts read, and publishes the
// database file safely.
//
// It sits between extract and reports in the pipeline: the command loads the
// crawler's postings (UpsertPostings) and the extractor's tags
// (SaveExtractions), runs Aggregate, then Publish. The reports read only the
// views documented in docs/schema.md.
//
// A run never writes the published file in place. OpenWork copies it to
// dbPath+".work", the run writes there, and Publish checkpoints, verifies and
// atomically renames the working copy over the published file, keeping the
// previous one as dbPath+".prev". Readers that hold the old file open keep
// their snapshot and never block the writer; a run killed at any point leaves
// the published file as it was.
package analytics
