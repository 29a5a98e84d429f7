# messages area (issue 10): files added by its owner.
