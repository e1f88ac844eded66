//go:build e2e

package e2ekit

import (
	"os"
	"strings"
)

// ReadFile returns the file's content, or "" when it cannot be read (a log
// that does not exist yet is simply empty).
func ReadFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// Tail returns the last n lines of s.
func Tail(s string, n int) string {
	parts := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(parts) > n {
		parts = parts[len(parts)-n:]
	}
	return strings.Join(parts, "\n")
}
