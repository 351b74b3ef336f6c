from mentorqa.cli import main

main()
