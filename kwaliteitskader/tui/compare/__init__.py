"""The comparison view (``kwaliteitskader compare``): :class:`CompareApp` and :class:`CompareScreen`."""
