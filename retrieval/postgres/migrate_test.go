package postgres_test

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/postgres/pgtest"
)

const migrateURLEnv = "BYLINE_TEST_MIGRATE_URL"

// TestMigrateHelper is not a test: it is the process that
// TestMigrateTwoProcesses starts twice.
func TestMigrateHelper(t *testing.T) {
	url := os.Getenv(migrateURLEnv)
	if url == "" {
		t.Skip("helper process for TestMigrateTwoProcesses")
	}
	ix, err := postgres.Open(context.Background(), url, postgres.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
}

// TestMigrateTwoProcesses starts two processes that open a new schema at
// the same moment: both must succeed, and the schema be made once (the
// migration's advisory lock).
func TestMigrateTwoProcesses(t *testing.T) {
	url := pgtest.URL(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() {
			cmd := exec.Command(exe, "-test.run", "^TestMigrateHelper$", "-test.count", "1")
			cmd.Env = append(os.Environ(), migrateURLEnv+"="+url)
			outs[i], errs[i] = cmd.CombinedOutput()
		})
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Errorf("process %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	if v := pgtest.QueryInt(t, url, `SELECT version FROM byline_schema`); v != postgres.SchemaVersion {
		t.Errorf("schema version %d, want %d", v, postgres.SchemaVersion)
	}
	if n := pgtest.QueryInt(t, url, `SELECT count(*) FROM byline_schema`); n != 1 {
		t.Errorf("%d rows in byline_schema, want 1", n)
	}
	if n := pgtest.QueryInt(t, url, `SELECT count(*) FROM meta WHERE key NOT IN ('watches', 'analysis')`); n != 4 {
		t.Errorf("%d rows in meta, want 4 (migration 1 ran once)", n)
	}
}
