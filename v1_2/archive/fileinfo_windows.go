// Windows has no inode numbers or owners to carry in a layer; the graph
// still builds there (dockerlab's fake backend runs everywhere).
//
// Not upstream: Docker 1.2's archive package built for Unix only.
package archive

import "os"

func inode(fi os.FileInfo) (ino, nlink uint64) { return 0, 0 }

func owner(fi os.FileInfo) [2]uint32 { return [2]uint32{} }
