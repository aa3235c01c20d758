package testtool

import (
	"runtime"
	"testing"
	"time"
	"weak"
)

// Collected fails the test unless the object w points to is collected
// within 10 s of collections: for tests that something no longer keeps it
// alive (what names it in the failure).
func Collected[T any](t testing.TB, w weak.Pointer[T], what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for w.Value() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("%s is still alive: something keeps it", what)
		}
		runtime.GC()
	}
}
