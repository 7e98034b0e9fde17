// Package extract turns a posting into an Extraction: the skills it asks for
// (each with the places in the text that name it and whether it is required
// or only nice to have), the role, seniority, work mode and an annual salary.
//
// It sits between the crawler and analytics in the pipeline and does no I/O:
// the taxonomy is data (an embedded YAML file, overridable by the caller) and
// the tagger is a pure function of the taxonomy and the posting.
//
// The tagger compiles every alias, and the words that mark sections, roles and
// work modes, into one case-folding trie that is entered only at word starts,
// and only for words that begin some spelling: each word of the text is first
// looked up whole in a small hash table of the spellings' first words.
// Context rules (case-sensitive spellings, words that must not precede or
// follow, words that must be near) run only on candidate hits, so the cost of
// disambiguation is paid where a candidate is, not per byte of text.
package extract
