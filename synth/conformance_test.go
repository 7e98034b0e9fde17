package synth

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/skilltrend/skilltrend/internal/shareddata"
)

func keysOf(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// missing lists the keys of real that ours lacks, ignoring those that only
// describe Algolia's own bookkeeping.
func missing(real, ours []string, ignore ...string) []string {
	var out []string
	for _, k := range real {
		if !slices.Contains(ours, k) && !slices.Contains(ignore, k) {
			out = append(out, k)
		}
	}
	return out
}

// The HN server answers with the fields the real Algolia API sends, as
// recorded in ../shared/data/hn-algolia.
func TestHNMatchesRecordedAlgolia(t *testing.T) {
	algolia := shareddata.Dir(t, "hn-algolia")
	readJSON := func(name string) map[string]json.RawMessage {
		b, err := os.ReadFile(filepath.Join(algolia, name))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	realSearch := readJSON("search-by-date-whoishiring-page0.json")
	realItem := readJSON("item-2396027-who-is-hiring-2011-04.json")

	ps := Generate(Options{Seed: 3, Postings: 200, Months: 2})
	srv := httptest.NewServer(Handler(ps))
	defer srv.Close()
	var search map[string]json.RawMessage
	get(t, srv.URL+"/api/v1/search_by_date?tags=story,author_whoishiring", &search)

	var realTop, ourTop []string
	for k := range realSearch {
		realTop = append(realTop, k)
	}
	for k := range search {
		ourTop = append(ourTop, k)
	}
	if m := missing(realTop, ourTop, "exhaustive", "processingTimingsMS", "serverTimeMS"); len(m) > 0 {
		t.Errorf("search response lacks %v", m)
	}
	var realHits, ourHits []json.RawMessage
	if err := json.Unmarshal(realSearch["hits"], &realHits); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(search["hits"], &ourHits); err != nil || len(ourHits) == 0 {
		t.Fatalf("hits: %v (%d)", err, len(ourHits))
	}
	if m := missing(keysOf(t, realHits[0]), keysOf(t, ourHits[0]), "_highlightResult"); len(m) > 0 {
		t.Errorf("search hit lacks %v", m)
	}

	var hit struct {
		ObjectID string `json:"objectID"`
		Title    string `json:"title"`
	}
	for _, h := range ourHits {
		if err := json.Unmarshal(h, &hit); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(hit.Title, "Who is hiring") {
			break
		}
	}
	var item map[string]json.RawMessage
	get(t, srv.URL+"/api/v1/items/"+hit.ObjectID, &item)
	realKeys, ourKeys := make([]string, 0), make([]string, 0)
	for k := range realItem {
		realKeys = append(realKeys, k)
	}
	for k := range item {
		ourKeys = append(ourKeys, k)
	}
	if m := missing(realKeys, ourKeys); len(m) > 0 {
		t.Errorf("story item lacks %v", m)
	}
	var realKids, ourKids []json.RawMessage
	if err := json.Unmarshal(realItem["children"], &realKids); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(item["children"], &ourKids); err != nil || len(ourKids) == 0 {
		t.Fatalf("children: %v (%d)", err, len(ourKids))
	}
	if m := missing(keysOf(t, realKids[0]), keysOf(t, ourKids[0])); len(m) > 0 {
		t.Errorf("comment item lacks %v", m)
	}
}
