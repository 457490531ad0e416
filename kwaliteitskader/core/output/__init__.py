"""What is written for people: the report of one assessment and the exports of a portfolio."""
