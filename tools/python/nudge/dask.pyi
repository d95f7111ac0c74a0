# Type stubs of nudge.dask (tools/python/nudge/dask.py).
import os
from typing import Any, Optional, Sequence, Union

from . import Campaign, SweepResult

def sweep(data: Union[Any, Sequence[Union[str, os.PathLike[str]]]], campaign: Campaign, *, client: Any = ...,
          threads: Optional[int] = ..., top_k: Optional[int] = ..., as_of: Any = ..., id: str = ...,
          types: Optional[dict[str, str]] = ..., nan_is_null: bool = ...,
          history: Any = ...) -> SweepResult: ...
