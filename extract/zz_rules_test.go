package extract

import (
	"sort"
	"testing"
)

func TestZZRules(t *testing.T) {
	tg := defaultTagger(t)
	cnt := map[*aliasDef]int{}
	total := 0
	for _, g := range loadGold(t) {
		text := Text(g.posting)
		tg.m.scan(text, nil, nil)
		// re-run with counting by wrapping: count candidates via reject and hits
		hits := tg.m.scan(text, nil, func(s, e int, en *entry) { cnt[en.alias]++; total++ })
		for _, h := range hits {
			en := &tg.m.ents[h.entry]
			if en.ruled {
				cnt[en.alias]++
				total++
			}
		}
	}
	type kv struct {
		a *aliasDef
		n int
	}
	var l []kv
	for a, n := range cnt {
		l = append(l, kv{a, n})
	}
	sort.Slice(l, func(i, j int) bool { return l[i].n > l[j].n })
	t.Logf("total ruled candidates %d", total)
	for _, x := range l[:25] {
		a := x.a
		t.Logf("%5d %-12q case=%v na=%d nb=%d oa=%d num=%v list=%v any=%d none=%d w=%d", x.n, a.Text, a.CaseSensitive, len(a.NotAfter), len(a.NotBefore), len(a.OnlyAfter), a.NotBeforeNum, a.ListItem, len(a.ContextAny), len(a.ContextNone), a.Window)
	}
}
