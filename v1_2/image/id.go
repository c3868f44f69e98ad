// Image ids.
//
// Upstream: utils/utils.go at v1.2.0 (GenerateRandomID, ValidateID,
// TruncateID).
// Book: ch.10 §10.3 验证镜像ID, §10.6 注册ID.
package image

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// GenerateRandomID returns 32 random bytes as 64 hex digits. An id whose
// short form (12 digits) is all decimal digits is drawn again: used as a
// container's hostname it would look like a number (upstream issue #3869).
func GenerateRandomID() string {
	for {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			// crypto/rand does not fail on a working system; try again
			// rather than hand out a weak id.
			continue
		}
		id := hex.EncodeToString(b)
		if _, err := strconv.ParseInt(TruncateID(id), 10, 64); err == nil {
			continue
		}
		return id
	}
}

// TruncateID is the 12-digit short form `docker images` prints.
func TruncateID(id string) string {
	if len(id) < 12 {
		return id
	}
	return id[:12]
}

// ValidateID is the check ch.10 §10.3 reads: an id may not be empty and
// may not contain ':' (it would be taken for "name:tag"). Upstream checked
// nothing else; dockerlab also refuses '/' and "."/".." because the id
// names a directory under the graph root.
func ValidateID(id string) error {
	if id == "" {
		return fmt.Errorf("Id can't be empty")
	}
	for _, c := range []string{":", "/", `\`} {
		if strings.Contains(id, c) {
			return fmt.Errorf("Invalid character in id: '%s'", c)
		}
	}
	if id == "." || id == ".." {
		return fmt.Errorf("Invalid id: %q", id)
	}
	return nil
}

// IsFullID reports whether id is 64 lowercase hex digits, the form
// GenerateRandomID makes and registries use.
func IsFullID(id string) bool {
	if len(id) != 64 {
		return false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
