package transfer_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/postgres/pgtest"
	"github.com/byline-news/byline/retrieval/sqlite"
	"github.com/byline-news/byline/retrieval/storetest"
	"github.com/byline-news/byline/retrieval/transfer"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var clock = storetest.Clock

// source makes a SQLite database with something in every table,
// including what an older byline left: paragraphs without their hash and
// vectors without their int8 form.
func source(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byline.db")
	ix, err := sqlite.Open(ctx, path, sqlite.Options{Create: true, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	storetest.MustPut(t, ix, storetest.HarbourStrike, storetest.OrchardFrost)
	storetest.MustPut(t, ix, storetest.BridgeVote, storetest.SedanRecall, storetest.ToyRecall)
	storetest.MustPut(t, ix, storetest.NewCorpus(5).Articles("gen", 40, 3)...)
	if err := ix.Delete(ctx, "gen-3"); err != nil { // a tombstone
		t.Fatal(err)
	}
	storetest.MustEmbed(t, ix, &storetest.FakeEmbedder{}, engine.EmbedOptions{})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(ix.SaveFeedback(ctx, retrieval.Feedback{At: clock, Platform: "slack", Workspace: "T1", Channel: "C1", User: "U1",
		Question: "q", Answer: "a", Sources: []string{storetest.HarbourStrike.ID}, Helpful: true}))
	must(ix.SaveFeedback(ctx, retrieval.Feedback{At: clock.Add(time.Hour), Platform: "discord", Question: "q2", Answer: "a2"}))
	must(ix.AddFeed(ctx, "https://news.example/rss", 15*time.Minute, clock))
	must(ix.SaveStates(ctx, []retrieval.ChatState{{NS: "slack.threads", Key: "C1:1", Value: []byte(`{"q":"x"}`), Expires: clock.Add(time.Hour)}}))
	if _, err := ix.Claim(ctx, "slack.events", "Ev1", clock, clock.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Lease(ctx, "feed:x", "replica-a", clock, clock.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`UPDATE paragraphs SET hash = NULL WHERE n = 0`, `UPDATE embeddings SET q8 = NULL WHERE hash < x'80'`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestCopy(t *testing.T) {
	ctx := context.Background()
	src := source(t)
	dst := pgtest.URL(t)
	rep, err := transfer.Copy(ctx, src, dst, transfer.Options{})
	if err != nil {
		t.Fatalf("Copy: %v", err)
	}
	if rep.Unchanged || len(rep.Tables) != 14 {
		t.Fatalf("Copy = %+v, want 14 tables copied", rep)
	}
	rows := map[string]int64{}
	for _, tb := range rep.Tables {
		rows[tb.Name] = tb.Rows
	}
	if rows["articles"] != 44 || rows["tombstones"] == 0 || rows["embeddings"] == 0 || rows["feedback"] != 2 || rows["leases"] != 1 {
		t.Errorf("rows copied = %v", rows)
	}

	// Run again: nothing to do.
	again, err := transfer.Copy(ctx, src, dst, transfer.Options{})
	if err != nil || !again.Unchanged || !slices.Equal(again.Tables, rep.Tables) {
		t.Errorf("second Copy = %+v, %v; want unchanged, with the same checksums", again, err)
	}

	lite, err := sqlite.Open(ctx, src, sqlite.Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	// The source's old paragraphs get their hash, and its vectors their
	// int8 form, as the copy's have, so that both search alike.
	storetest.MustEmbed(t, lite, &storetest.FakeEmbedder{}, engine.EmbedOptions{})
	pg, err := postgres.Open(ctx, dst, postgres.Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for _, q := range []retrieval.Query{
		{Text: "What did Marta Vellacott say?", K: 5},
		{Text: storetest.NewCorpus(5).Queries()[4], K: 20},
		storetest.HybridQuery(storetest.RecallQuestion, 5),
	} {
		want, got := storetest.MustSearch(t, lite, q), storetest.MustSearch(t, pg, q)
		if len(want) == 0 || !storetest.SameScoredHits(got, want) {
			t.Errorf("Search(%q) on the copy = %v, on the source %v", q.Text, storetest.HitIDs(got), storetest.HitIDs(want))
		}
	}
	sameRecords(t, lite, pg)

	// The copy is a working database: indexing goes on where SQLite left off.
	storetest.MustPut(t, pg, storetest.BusBrakes)
	if hits := storetest.MustSearch(t, pg, retrieval.Query{Text: "city bus brakes"}); len(hits) == 0 || hits[0].Article.ID != storetest.BusBrakes.ID {
		t.Errorf("after a Put on the copy: %v", storetest.HitIDs(hits))
	}
	if _, err := transfer.Copy(ctx, src, dst, transfer.Options{}); !errors.Is(err, transfer.ErrNotEmpty) {
		t.Errorf("Copy onto changed data = %v, want ErrNotEmpty", err)
	}
	replaced, err := transfer.Copy(ctx, src, dst, transfer.Options{Replace: true})
	if err != nil || replaced.Unchanged || len(replaced.Tables) != len(rep.Tables) || replaced.Tables[1] != rep.Tables[1] {
		t.Errorf("Copy with Replace = %+v, %v; want the source's tables again", replaced, err)
	}
	if n, err := pg.Count(ctx); err != nil || n != 44 {
		t.Errorf("after Copy with Replace: %d articles, %v; want the source's 44", n, err)
	}
}

// sameRecords compares what the two databases keep beside the index.
func sameRecords(t *testing.T, a, b storetest.Store) {
	t.Helper()
	ctx := context.Background()
	list := func(s storetest.Store) (out []string) {
		s.List(ctx, func(a retrieval.Article, n int) error {
			out = append(out, fmt.Sprintf("%s/%d/%v", a.ID, n, a.Published))
			return nil
		})
		s.ListFeedback(ctx, func(f retrieval.Feedback) error { out = append(out, fmt.Sprintf("%+v", f)); return nil })
		feeds, _ := s.Feeds(ctx)
		out = append(out, fmt.Sprintf("%+v", feeds))
		v, _, ok, _ := s.LoadState(ctx, "slack.threads", "C1:1", clock)
		out = append(out, fmt.Sprint(string(v), ok))
		st, _ := s.Stats(ctx)
		st.Bytes = 0
		out = append(out, fmt.Sprintf("%+v", st))
		return out
	}
	if la, lb := list(a), list(b); !slices.Equal(la, lb) {
		t.Errorf("records differ:\nsource %q\ncopy   %q", la, lb)
	}
	for _, s := range []storetest.Store{a, b} {
		if ok, err := s.Claim(ctx, "slack.events", "Ev1", clock, clock.Add(time.Hour)); ok || err != nil {
			t.Errorf("claim copied: Claim = %v, %v; want false (already claimed)", ok, err)
		}
	}
}
