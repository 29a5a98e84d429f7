# issue 10 fragment: files added by its owner.
