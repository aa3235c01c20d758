//go:build !linux && !darwin

package output

// exchange is not available here: Write falls back to two renames.
func exchange(a, b string) error { return errNoExchange }
