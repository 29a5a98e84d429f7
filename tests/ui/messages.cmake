# messages area tests (issue 10): files added by its owner.
