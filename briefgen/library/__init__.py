"""Libraries: the people, issues and sources that many trips share (`include:`).

A library is a YAML file read under the trip file's rules, starting with `briefgen-library: 1`.
`resolve(trip)` reads every library the trip includes (and those they include), checks each
on its own (every problem located in the library, with the line that included it), and
merges into the trip's plain data only what the trip uses: the people it names (a trip entry
gives only the fields it changes), the issues its `issues` list names (a bare id) or its
talking points pull in (`{issue: id}`), and the sources cited by what was merged. Positions
stay with their files: the merged LoadedTrip's origin table sends a problem about a merged
part to the library that holds it.

`files` reads and checks the libraries (`format`: the library file's model and schema;
`paths`: where an include may lead); `merge` merges what the trip uses.
"""

from briefgen.library.format import LIBRARY_KEY, LibraryFile, library_schema
from briefgen.library.merge import from_libraries, resolve

__all__ = ["LIBRARY_KEY", "LibraryFile", "from_libraries", "library_schema", "resolve"]
