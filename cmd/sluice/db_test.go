package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluicepay/sluice/store"
)

// A store whose manifest is lost refuses to open with a CorruptError naming the recovery
// command; that command rebuilds it from the journal and keeps every record.
func TestDBRecoverRebuildsAStoreWithALostManifest(t *testing.T) {
	dir := t.TempDir()
	dbDir := filepath.Join(dir, "db")
	st, err := store.Open(dbDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := store.NewBatch()
	for _, k := range []string{"a", "b", "c"} {
		if err := b.PutMeta("test", k, []byte("value-"+k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Commit(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	manifests, _ := filepath.Glob(filepath.Join(dbDir, "MANIFEST-*"))
	if len(manifests) == 0 {
		t.Fatal("no MANIFEST file to damage")
	}
	for _, m := range manifests {
		if err := os.WriteFile(m, []byte("garbage"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.Open(dbDir, store.Options{}); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("open of damaged store: got %v, want ErrCorrupt", err)
	}

	env := cliEnv(t)
	res := runCLI(t, env, "db", "recover", "--datadir", dir, "--json")
	if res.code != exitOK {
		t.Fatalf("db recover: exit %d, stderr %s", res.code, res.stderr)
	}
	var rep store.RecoverReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("db recover --json output %q: %v", res.stdout, err)
	}
	if rep.Check.Meta != 3 || rep.Check.BadCount != 0 || rep.BackupPath == "" {
		t.Fatalf("recover report %+v: want 3 meta records, none damaged, a backup path", rep)
	}

	st, err = store.Open(dbDir, store.Options{})
	if err != nil {
		t.Fatalf("open after recover: %v", err)
	}
	defer st.Close()
	v, ok, err := st.GetMeta("test", "b")
	if err != nil || !ok || string(v) != "value-b" {
		t.Fatalf("meta test/b after recover = %q, %v, %v", v, ok, err)
	}
}

func TestDBCheckRefusesAMissingDatabaseWithoutCreatingIt(t *testing.T) {
	dir := t.TempDir()
	res := runCLI(t, cliEnv(t), "db", "check", "--datadir", dir)
	if res.code != exitFailure || !strings.Contains(res.stderr, "no database at") {
		t.Fatalf("db check on empty datadir: exit %d, stderr %q", res.code, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "db")); !os.IsNotExist(err) {
		t.Fatalf("db check created %s/db (stat err %v)", dir, err)
	}
}

func TestDBCheckReadsTheGlobalDatadir(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, cliEnv(t), "--datadir", dir, "db", "check")
	if res.code != exitOK || !strings.Contains(res.stdout, "damaged records:      0") {
		t.Fatalf("db check with global --datadir: exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
}
