//go:build !unix

package readfile

import (
	"fmt"
	"os"
)

// open checks the type before opening where there is no O_NONBLOCK: named
// pipes and devices are then refused without being opened.
func open(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%s): dossier reads only regular files; remove it or move it out of the project's folders", ErrNotRegular, kind(st.Mode()))
	}
	return os.Open(path)
}
